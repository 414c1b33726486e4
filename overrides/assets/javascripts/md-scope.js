/* Material 9.8.1 partials/javascripts/base.html, as one file for the site (see
 * overrides/partials/javascripts/base.html): the site root is two folders above this
 * script (assets/javascripts/), which is what base_url gives on every page. */
__md_scope=new URL("../..",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
